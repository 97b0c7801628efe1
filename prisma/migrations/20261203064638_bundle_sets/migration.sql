-- AlterTable
ALTER TABLE "bundles" ADD COLUMN     "bundle_set_id" UUID,
ADD COLUMN     "generated_for_cluster" UUID,
ADD COLUMN     "generated_spec" JSONB;

-- AlterTable
ALTER TABLE "git_repos" ADD COLUMN     "source_only" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "bundle_sets" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "generators" JSONB NOT NULL,
    "template" JSONB NOT NULL,
    "policy" TEXT NOT NULL DEFAULT 'sync',
    "preserve_resources_on_deletion" BOOLEAN NOT NULL DEFAULT false,
    "allow_empty" BOOLEAN NOT NULL DEFAULT false,
    "max_delete_fraction" DOUBLE PRECISION NOT NULL DEFAULT 0.5,
    "evaluation_requested_at" TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP,
    "pending_full" BOOLEAN NOT NULL DEFAULT true,
    "pending_cluster_ids" UUID[] DEFAULT ARRAY[]::UUID[],
    "evaluated_at" TIMESTAMP(3),
    "result" TEXT NOT NULL DEFAULT 'Pending',
    "message" TEXT NOT NULL DEFAULT '',
    "error_where" JSONB NOT NULL DEFAULT '{}',
    "param_set_count" INTEGER NOT NULL DEFAULT 0,
    "entry_counts" JSONB NOT NULL DEFAULT '[]',
    "pending_deletion" JSONB,
    "approved_deletion" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "bundle_sets_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "bundle_sets_name_key" ON "bundle_sets"("name");

-- CreateIndex
CREATE INDEX "bundle_sets_evaluation_requested_at_idx" ON "bundle_sets"("evaluation_requested_at");

-- CreateIndex
CREATE INDEX "bundles_bundle_set_id_generated_for_cluster_idx" ON "bundles"("bundle_set_id", "generated_for_cluster");

-- AddForeignKey
ALTER TABLE "bundles" ADD CONSTRAINT "bundles_bundle_set_id_fkey" FOREIGN KEY ("bundle_set_id") REFERENCES "bundle_sets"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
