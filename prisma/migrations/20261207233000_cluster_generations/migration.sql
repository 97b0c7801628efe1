-- Desired-state generations move out of the wide clusters row into a narrow table: every bundle change raises
-- the generation of every cluster it reaches (1,000 rows per fan-out at fleet size), and on clusters each raise
-- wrote a whole new row version (and, once its pages filled, new entries in every index): 20-60 ms per 1,000
-- raises there, ~4 ms here (pgbench on this machine).

-- CreateTable
CREATE TABLE "cluster_generations" (
    "cluster_id" UUID NOT NULL,
    "generation" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "cluster_generations_pkey" PRIMARY KEY ("cluster_id")
);

-- AddForeignKey
ALTER TABLE "cluster_generations" ADD CONSTRAINT "cluster_generations_cluster_id_fkey" FOREIGN KEY ("cluster_id") REFERENCES "clusters"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Existing clusters keep their generation.
INSERT INTO "cluster_generations" ("cluster_id", "generation") SELECT "id", "desired_generation" FROM "clusters";

-- AlterTable
ALTER TABLE "clusters" DROP COLUMN "desired_generation";

-- Every cluster has its row from the transaction that inserts it, whatever inserts it.
CREATE FUNCTION flotilla_cluster_generation_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO cluster_generations (cluster_id) VALUES (NEW.id);
  RETURN NEW;
END
$$;

CREATE TRIGGER clusters_generation_row AFTER INSERT ON clusters FOR EACH ROW EXECUTE FUNCTION flotilla_cluster_generation_row();
