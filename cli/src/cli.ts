/** Placeholder until the render and bundles commands land (issue #10). */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export async function runCli(_argv: string[], io: CliIo): Promise<number> {
  io.stderr.write('flotilla: no commands yet\n');
  return 1;
}
