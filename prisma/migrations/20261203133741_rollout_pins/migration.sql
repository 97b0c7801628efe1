-- CreateIndex
CREATE INDEX "bundles_rollout_pending_idx" ON "bundles"("rollout_pending");

-- CreateIndex
CREATE INDEX "rollouts_state_idx" ON "rollouts"("state");

-- AddForeignKey
ALTER TABLE "bundles" ADD CONSTRAINT "bundles_pinned_rollout_id_fkey" FOREIGN KEY ("pinned_rollout_id") REFERENCES "rollouts"("id") ON DELETE SET NULL ON UPDATE CASCADE;
