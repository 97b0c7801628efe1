-- AlterTable
ALTER TABLE "git_repos" ADD COLUMN     "rendered_at" TIMESTAMP(3),
ADD COLUMN     "rendered_commit" TEXT NOT NULL DEFAULT '';
