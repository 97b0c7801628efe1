-- AlterTable
ALTER TABLE "bundle_revisions" ADD COLUMN     "unreferenced_since" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "bundle_revisions_unreferenced_since_idx" ON "bundle_revisions"("unreferenced_since");

-- CreateIndex
CREATE INDEX "bundles_revision_id_idx" ON "bundles"("revision_id");

-- CreateIndex
CREATE INDEX "deployments_bundle_id_state_idx" ON "deployments"("bundle_id", "state");

-- CreateIndex
CREATE INDEX "deployments_desired_revision_idx" ON "deployments"("desired_revision");

-- CreateIndex
CREATE INDEX "deployments_applied_revision_idx" ON "deployments"("applied_revision");
