-- Fan-out markers (issue #9): rows whose deployments may not be computed yet; see hub/src/delivery/fanout-marker.ts.
-- Added without a default first, so existing rows are not marked (the hub's start-up fan-out covers them), then
-- new rows are marked by default.

-- AlterTable
ALTER TABLE "bundles" ADD COLUMN     "fanout_requested_at" TIMESTAMP(6);
ALTER TABLE "bundles" ALTER COLUMN "fanout_requested_at" SET DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "clusters" ADD COLUMN     "fanout_requested_at" TIMESTAMP(6);
ALTER TABLE "clusters" ALTER COLUMN "fanout_requested_at" SET DEFAULT CURRENT_TIMESTAMP;

-- CreateIndex
CREATE INDEX "bundles_fanout_requested_at_idx" ON "bundles"("fanout_requested_at");

-- CreateIndex
CREATE INDEX "clusters_fanout_requested_at_idx" ON "clusters"("fanout_requested_at");
