// DynamoDB Local has no option to listen on loopback only: it listens on every interface, with no
// authentication. Without -sharedDb it keeps one database per access key id and region, so local-cloud keeps
// its tables under an access key id only it knows (a namespace, which the signature proxy puts on every
// request it forwards). A client that reaches the port from another machine does not know the id, and gets
// an empty database of its own instead of the service's tables.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Log } from '../../http/internal-errors';
import type { AccessKeyPair } from '../../protocol/sigv4';
import { NAMESPACE_PATTERN, namespaceKeys, newNamespace } from './shared-dynamodb-local';
import { DamagedStateError } from '../../common/damaged-state';

/** The file, in a persisted service's data folder, that keeps the namespace across restarts. */
export const NAMESPACE_FILE = 'namespace';
/** Where DynamoDB Local kept everything when local-cloud started it with -sharedDb. */
const SHARED_DATABASE = 'shared-local-instance.db';

/**
 * The namespace of a service's own DynamoDB Local: a new one in memory; in a data folder, the one saved
 * there (made on first use), with a database from a local-cloud that used -sharedDb moved under it.
 */
export function ownNamespace(dataDir: string | undefined, region: string, log: Log): AccessKeyPair {
  if (dataDir === undefined) return namespaceKeys(newNamespace());
  const file = path.join(dataDir, NAMESPACE_FILE);
  let accessKeyId: string;
  if (existsSync(file)) {
    accessKeyId = readFileSync(file, 'utf8').trim();
    if (!NAMESPACE_PATTERN.test(accessKeyId)) {
      throw new DamagedStateError(
        file,
        `is damaged: it should hold the access key id the tables are kept under (LCNS and 16 hexadecimal digits), not "${accessKeyId.slice(0, 40)}"`,
        `restore it, or move the folder ${dataDir} aside to start with empty tables`,
      );
    }
  } else {
    accessKeyId = newNamespace();
    writeFileSync(file, `${accessKeyId}\n`, { mode: 0o600 });
  }
  const database = path.join(dataDir, `${accessKeyId}_${region}.db`);
  const shared = path.join(dataDir, SHARED_DATABASE);
  if (existsSync(shared) && !existsSync(database)) {
    renameSync(shared, database);
    log(`moved the tables of an earlier local-cloud (${SHARED_DATABASE}) to ${path.basename(database)}`);
  }
  return namespaceKeys(accessKeyId);
}
