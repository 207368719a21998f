// What GetSecretValue and GetParameter read: the service's declared secrets and parameters, overridden by
// `.local-cloud/secrets.json`. The file is read again whenever it changes, so a new value needs no restart;
// a change that breaks it is reported (one line, no values) and the last good values stay in use.
import { existsSync, statSync } from 'node:fs';
import type { DeclaredSecrets } from './declared-secrets';
import { emptySecrets, readSecretsFile, type LocalSecrets, type ParameterType } from './secrets-file';

export interface SecretRecord {
  name: string;
  /** Undefined: the secret exists without an AWSCURRENT value. */
  value?: string;
  /** Seconds since the epoch. */
  createdDate: number;
}

export interface ParameterRecord {
  name: string;
  type: ParameterType;
  value: string;
  /** Seconds since the epoch. */
  lastModifiedDate: number;
}

export class SecretsCatalog {
  private fileSecrets: LocalSecrets = emptySecrets();
  private fileVersion = '';
  private fileTime = 0;
  private readonly startTime: number;

  constructor(
    private readonly declared: DeclaredSecrets,
    private readonly file: string,
    private readonly log: (line: string) => void,
    now: () => number,
  ) {
    this.startTime = now() / 1000;
    // At start a broken file is an error (ServiceConfigError): nothing should run on half a configuration.
    this.refresh(true);
  }

  secret(name: string): SecretRecord | undefined {
    this.refresh(false);
    const value = this.fileSecrets.secrets.get(name);
    if (value !== undefined) return { name, value, createdDate: this.fileTime };
    const declaredValue = this.declared.secrets.get(name);
    if (declaredValue !== undefined) return { name, value: declaredValue, createdDate: this.startTime };
    return this.declared.secretsWithoutValue.has(name) ? { name, createdDate: this.startTime } : undefined;
  }

  secretNames(): string[] {
    this.refresh(false);
    return [
      ...new Set([
        ...this.fileSecrets.secrets.keys(),
        ...this.declared.secrets.keys(),
        ...this.declared.secretsWithoutValue,
      ]),
    ];
  }

  parameter(name: string): ParameterRecord | undefined {
    this.refresh(false);
    const fromFile = this.fileSecrets.parameters.get(name);
    if (fromFile) return { name, ...fromFile, lastModifiedDate: this.fileTime };
    const declared = this.declared.parameters.get(name);
    return declared ? { name, ...declared, lastModifiedDate: this.startTime } : undefined;
  }

  parameterNames(): string[] {
    this.refresh(false);
    return [...new Set([...this.fileSecrets.parameters.keys(), ...this.declared.parameters.keys()])].sort();
  }

  private refresh(atStart: boolean): void {
    if (!existsSync(this.file)) {
      this.fileSecrets = emptySecrets();
      this.fileVersion = '';
      return;
    }
    const stat = statSync(this.file);
    const version = `${stat.mtimeMs}:${stat.size}`;
    if (version === this.fileVersion) return;
    try {
      this.fileSecrets = readSecretsFile(this.file);
      this.fileTime = stat.mtimeMs / 1000;
    } catch (error) {
      if (atStart) throw error;
      this.log(`${error instanceof Error ? error.message : String(error)} (the previous values stay in use)`);
    }
    this.fileVersion = version;
  }
}
