-- AlterTable
ALTER TABLE "clusters" ADD COLUMN     "desired_generation" BIGINT NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "deployments" ADD COLUMN     "report_hash" TEXT NOT NULL DEFAULT '';


-- Content is streamed to agents in chunks read with substring(): stored uncompressed so PostgreSQL reads
-- only the slice asked for instead of decompressing the whole value for every chunk.
ALTER TABLE "bundle_revisions" ALTER COLUMN "content" SET STORAGE EXTERNAL;
