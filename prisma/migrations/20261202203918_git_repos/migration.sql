-- AlterTable
ALTER TABLE "bundles" ADD COLUMN     "git_path" TEXT,
ADD COLUMN     "git_repo_id" UUID;

-- CreateTable
CREATE TABLE "git_repos" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "repo" TEXT NOT NULL,
    "branch" TEXT,
    "revision" TEXT,
    "paths" JSONB NOT NULL DEFAULT '[]',
    "targets" JSONB NOT NULL DEFAULT '[]',
    "credentials" BYTEA,
    "helm_credentials" BYTEA,
    "helm_repo_url_regex" TEXT NOT NULL DEFAULT '',
    "webhook_secret" BYTEA,
    "ca_bundle" TEXT NOT NULL DEFAULT '',
    "insecure_skip_tls_verify" BOOLEAN NOT NULL DEFAULT false,
    "polling_interval_seconds" INTEGER NOT NULL DEFAULT 15,
    "disable_polling" BOOLEAN NOT NULL DEFAULT false,
    "paused" BOOLEAN NOT NULL DEFAULT false,
    "target_namespace" TEXT NOT NULL DEFAULT '',
    "keep_resources" BOOLEAN NOT NULL DEFAULT false,
    "correct_drift" BOOLEAN NOT NULL DEFAULT false,
    "next_poll_at" TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sync_requested_at" TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP,
    "commit" TEXT NOT NULL DEFAULT '',
    "commit_message" TEXT NOT NULL DEFAULT '',
    "commit_author" TEXT NOT NULL DEFAULT '',
    "commit_time" TIMESTAMP(3),
    "polled_at" TIMESTAMP(3),
    "fetched_at" TIMESTAMP(3),
    "sync_reason" TEXT NOT NULL DEFAULT 'Pending',
    "sync_message" TEXT NOT NULL DEFAULT '',
    "sync_issues" JSONB NOT NULL DEFAULT '[]',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "git_repos_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "git_repos_name_key" ON "git_repos"("name");

-- CreateIndex
CREATE INDEX "git_repos_next_poll_at_idx" ON "git_repos"("next_poll_at");

-- CreateIndex
CREATE INDEX "git_repos_sync_requested_at_idx" ON "git_repos"("sync_requested_at");

-- CreateIndex
CREATE INDEX "bundles_git_repo_id_idx" ON "bundles"("git_repo_id");

-- AddForeignKey
ALTER TABLE "bundles" ADD CONSTRAINT "bundles_git_repo_id_fkey" FOREIGN KEY ("git_repo_id") REFERENCES "git_repos"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
