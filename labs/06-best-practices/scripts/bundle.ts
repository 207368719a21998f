// esbuild as serverless-esbuild runs it for this lab (custom.esbuild in serverless.yml): one bundle per
// handler, Node 20, CommonJS, the AWS SDK left out because the Lambda runtime provides it.
import * as esbuild from 'esbuild';

export interface BundleOptions {
  minify: boolean;
  /** Leave '@aws-sdk/*' out of the bundle. */
  excludeSdk: boolean;
  outfile?: string;
}

export async function bundle(entry: string, options: BundleOptions): Promise<{ bytes: number }> {
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    minify: options.minify,
    // @azure/functions loads the Azure host's own module when it runs there; it is not on npm.
    external: [...(options.excludeSdk ? ['@aws-sdk/*'] : []), '@azure/functions-core'],
    write: options.outfile !== undefined,
    outfile: options.outfile ?? 'out.js',
    logLevel: 'silent',
    metafile: true,
  });
  const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
  return { bytes };
}
