-- AlterTable
ALTER TABLE "bundles" ADD COLUMN     "depends_on" JSONB,
ADD COLUMN     "labels" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "paused" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "pin_until" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "pinned_over" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "pinned_rollout_id" UUID,
ADD COLUMN     "rollout_pending" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "rollout_requested_at" TIMESTAMP(6),
ADD COLUMN     "rollout_strategy" JSONB,
ADD COLUMN     "schedule" JSONB;

-- AlterTable
ALTER TABLE "deployments" ADD COLUMN     "deployed_at" TIMESTAMP(3),
ADD COLUMN     "staged_options" JSONB,
ADD COLUMN     "staged_render_key" TEXT,
ADD COLUMN     "staged_revision" TEXT,
ALTER COLUMN "desired_revision" DROP NOT NULL;

-- What exists is deployed: staged = deployed.
UPDATE "deployments" SET "staged_revision" = "desired_revision", "staged_render_key" = "render_key", "staged_options" = "options", "deployed_at" = "updated_at";
ALTER TABLE "deployments" ALTER COLUMN "staged_revision" SET NOT NULL;

-- AlterTable
ALTER TABLE "git_repos" ADD COLUMN     "rollout_paused" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "rollout_strategy" JSONB,
ADD COLUMN     "schedule" JSONB;

-- CreateTable
CREATE TABLE "rollouts" (
    "id" UUID NOT NULL,
    "bundle_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "content_key" TEXT NOT NULL,
    "revision_id" TEXT,
    "source_id" TEXT,
    "commit" TEXT NOT NULL DEFAULT '',
    "cause" TEXT NOT NULL DEFAULT '',
    "state" TEXT NOT NULL DEFAULT 'Progressing',
    "reason" TEXT NOT NULL DEFAULT '',
    "message" TEXT NOT NULL DEFAULT '',
    "partitions" JSONB NOT NULL DEFAULT '[]',
    "promoted" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "wait_until" TIMESTAMP(3),
    "outcome" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMP(3),
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "rollouts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "fleet_events" (
    "id" BIGSERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "bundle" TEXT NOT NULL DEFAULT '',
    "cluster" TEXT NOT NULL DEFAULT '',
    "git_repo" TEXT NOT NULL DEFAULT '',
    "severity" TEXT NOT NULL DEFAULT 'info',
    "message" TEXT NOT NULL DEFAULT '',
    "data" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "fleet_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "rollouts_revision_id_idx" ON "rollouts"("revision_id");

-- CreateIndex
CREATE INDEX "rollouts_source_id_idx" ON "rollouts"("source_id");

-- CreateIndex
CREATE UNIQUE INDEX "rollouts_bundle_id_seq_key" ON "rollouts"("bundle_id", "seq");

-- CreateIndex
CREATE INDEX "fleet_events_at_idx" ON "fleet_events"("at");

-- CreateIndex
CREATE INDEX "bundles_rollout_requested_at_idx" ON "bundles"("rollout_requested_at");

-- CreateIndex
CREATE INDEX "deployments_staged_revision_idx" ON "deployments"("staged_revision");

-- AddForeignKey
ALTER TABLE "rollouts" ADD CONSTRAINT "rollouts_bundle_id_fkey" FOREIGN KEY ("bundle_id") REFERENCES "bundles"("id") ON DELETE CASCADE ON UPDATE CASCADE;
