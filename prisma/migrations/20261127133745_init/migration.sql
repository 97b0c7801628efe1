-- CreateEnum
CREATE TYPE "ApiRole" AS ENUM ('admin', 'readonly');

-- CreateEnum
CREATE TYPE "ClusterConnection" AS ENUM ('pending', 'online', 'offline', 'revoked');

-- CreateTable
CREATE TABLE "api_tokens" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "role" "ApiRole" NOT NULL,
    "secret_hash" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMP(3),
    "revoked_at" TIMESTAMP(3),

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "registration_tokens" (
    "id" UUID NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "secret_hash" TEXT NOT NULL,
    "labels" JSONB NOT NULL DEFAULT '{}',
    "expires_at" TIMESTAMP(3),
    "max_uses" INTEGER,
    "uses" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMP(3),

    CONSTRAINT "registration_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "clusters" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "identity" TEXT NOT NULL,
    "labels" JSONB NOT NULL DEFAULT '{}',
    "credential_hash" TEXT,
    "credential_issued_at" TIMESTAMP(3),
    "connection" "ClusterConnection" NOT NULL DEFAULT 'pending',
    "agent_version" TEXT NOT NULL DEFAULT '',
    "last_seen_at" TIMESTAMP(3),
    "registration_token_id" UUID,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "clusters_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cluster_groups" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "selector" JSONB NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "cluster_groups_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "clusters_name_key" ON "clusters"("name");

-- CreateIndex
CREATE UNIQUE INDEX "clusters_identity_key" ON "clusters"("identity");

-- CreateIndex
CREATE INDEX "clusters_connection_last_seen_at_idx" ON "clusters"("connection", "last_seen_at");

-- CreateIndex
CREATE UNIQUE INDEX "cluster_groups_name_key" ON "cluster_groups"("name");

-- AddForeignKey
ALTER TABLE "clusters" ADD CONSTRAINT "clusters_registration_token_id_fkey" FOREIGN KEY ("registration_token_id") REFERENCES "registration_tokens"("id") ON DELETE SET NULL ON UPDATE CASCADE;
