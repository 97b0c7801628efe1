-- Issue #9: drift diffs of Secrets stored before the hub redacted them on ingest can hold Secret values
-- (desired and live, base64). Every value of every diff of a Secret becomes the marker "<redacted>" (an
-- absent value stays absent, paths are kept); coarser than the hub's rule (status/stored-report.ts) on
-- purpose, since these rows are rewritten by the next report anyway: report_hash is cleared so that
-- report is stored even when it says the same.
UPDATE "deployments" AS d
SET "resources" = (
      SELECT jsonb_agg(
               CASE WHEN r ->> 'kind' = 'Secret' AND jsonb_typeof(r -> 'diffs') = 'array' THEN
                 jsonb_set(r, '{diffs}', (
                   SELECT COALESCE(jsonb_agg(jsonb_build_object(
                            'path', x -> 'path',
                            'desired', to_jsonb(CASE WHEN COALESCE(x ->> 'desired', '') = '' THEN '' ELSE '"<redacted>"' END),
                            'live', to_jsonb(CASE WHEN COALESCE(x ->> 'live', '') = '' THEN '' ELSE '"<redacted>"' END)
                          ) ORDER BY i), '[]'::jsonb)
                   FROM jsonb_array_elements(r -> 'diffs') WITH ORDINALITY AS t(x, i)))
               ELSE r END
             ORDER BY o)
      FROM jsonb_array_elements(d."resources") WITH ORDINALITY AS s(r, o)),
    "report_hash" = ''
WHERE jsonb_typeof(d."resources") = 'array' AND d."resources" @> '[{"kind": "Secret"}]';
