-- AlterTable
ALTER TABLE "clusters" ADD COLUMN     "registration_nonce_hash" TEXT;
