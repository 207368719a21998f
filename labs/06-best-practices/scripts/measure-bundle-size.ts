// Prints the size of each handler's bundle three ways: everything bundled, the AWS SDK left out (the
// runtime ships it), and minified too. Run: npx tsx labs/06-best-practices/scripts/measure-bundle-size.ts
import path from 'node:path';
import { bundle } from './bundle';

const LAB = path.resolve(__dirname, '..');
const HANDLERS = ['create-image', 'get-image', 'list-images'];

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(0)} KB`;
}

async function main(): Promise<void> {
  const rows = ['| handler | all bundled | without @aws-sdk | + minified |', '| --- | ---: | ---: | ---: |'];
  for (const name of HANDLERS) {
    const entry = path.join(LAB, 'src/handlers', `${name}.ts`);
    const all = await bundle(entry, { minify: false, excludeSdk: false });
    const noSdk = await bundle(entry, { minify: false, excludeSdk: true });
    const minified = await bundle(entry, { minify: true, excludeSdk: true });
    rows.push(`| ${name} | ${kb(all.bytes)} | ${kb(noSdk.bytes)} | ${kb(minified.bytes)} |`);
  }
  console.log(rows.join('\n'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
