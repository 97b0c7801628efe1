-- CreateEnum
CREATE TYPE "RenderState" AS ENUM ('Rendering', 'Rendered', 'Failed');

-- AlterTable
ALTER TABLE "bundles" ADD COLUMN     "render_message" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "render_reason" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "render_state" "RenderState",
ADD COLUMN     "source_id" TEXT,
ALTER COLUMN "revision_id" DROP NOT NULL;

-- AlterTable
ALTER TABLE "deployments" ADD COLUMN     "options" JSONB,
ADD COLUMN     "render_key" TEXT;

-- CreateTable
CREATE TABLE "bundle_sources" (
    "id" TEXT NOT NULL,
    "content" BYTEA NOT NULL,
    "size" INTEGER NOT NULL,
    "file_count" INTEGER NOT NULL,
    "fleet_yaml" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "bundle_sources_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "bundle_renders" (
    "source_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "revision_id" TEXT,
    "options" JSONB NOT NULL DEFAULT '{}',
    "reason" TEXT NOT NULL DEFAULT '',
    "message" TEXT NOT NULL DEFAULT '',
    "rendered_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "bundle_renders_pkey" PRIMARY KEY ("source_id","key")
);

-- CreateIndex
CREATE INDEX "bundle_renders_revision_id_idx" ON "bundle_renders"("revision_id");

-- CreateIndex
CREATE INDEX "bundles_source_id_idx" ON "bundles"("source_id");

-- AddForeignKey
ALTER TABLE "bundles" ADD CONSTRAINT "bundles_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "bundle_sources"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bundle_renders" ADD CONSTRAINT "bundle_renders_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "bundle_sources"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bundle_renders" ADD CONSTRAINT "bundle_renders_revision_id_fkey" FOREIGN KEY ("revision_id") REFERENCES "bundle_revisions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
