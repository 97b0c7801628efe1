-- AlterTable
ALTER TABLE "registration_tokens" ADD COLUMN     "agent_label_keys" JSONB,
ADD COLUMN     "cluster_id" UUID;
