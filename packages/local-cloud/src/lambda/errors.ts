// Problems with a service's functions that stop local-cloud from starting. Each names the function, the file
// and the fix in one line, because the CLI prints the message as it is and exits with code 2.

/** Base class: the CLI catches this one type to exit with code 2. */
export class FunctionConfigurationError extends Error {
  constructor(
    readonly functionKey: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** `handler:` does not lead to a file. */
export class HandlerNotFoundError extends FunctionConfigurationError {
  constructor(
    functionKey: string,
    readonly handler: string,
    readonly modulePath: string,
    extensions: readonly string[],
    servicePath?: string,
  ) {
    super(
      functionKey,
      `Function "${functionKey}": handler "${handler}" needs the file ${modulePath}${extensions[0] ?? '.ts'} ` +
        `(or ${extensions.slice(1).join(', ')})${servicePath ? ` in ${servicePath}` : ''}, and there is none. ` +
        `Create it, or fix \`handler:\` in serverless.yml (module path from the service folder, a dot, then the export).`,
    );
  }
}

/** The handler file exists but does not export the name after the dot. */
export class HandlerExportNotFoundError extends FunctionConfigurationError {
  constructor(
    functionKey: string,
    readonly handler: string,
    readonly file: string,
    readonly exportName: string,
    available: readonly string[],
  ) {
    const found =
      available.length > 0
        ? `it exports ${available.map((name) => `"${name}"`).join(', ')}`
        : 'it exports nothing';
    super(
      functionKey,
      `Function "${functionKey}": ${file} does not export "${exportName}" (${found}). ` +
        `Add \`export const ${exportName} = async (event) => { ... }\`, or fix the name after the dot in \`handler: ${handler}\`.`,
    );
  }
}

/** A handler string Lambda itself refuses (no dot, or `..` climbing out of the package). */
export class MalformedHandlerError extends FunctionConfigurationError {
  constructor(functionKey: string, handler: string, reason: string) {
    super(
      functionKey,
      `Function "${functionKey}": handler "${handler}" is not valid: ${reason}. ` +
        `Write it as <module path from the service folder>.<export>, for example src/handlers/hello.handler.`,
    );
  }
}

/** esbuild could not compile the handler's module (a syntax error, an import of a missing file). */
export class HandlerBuildError extends FunctionConfigurationError {
  constructor(
    functionKey: string,
    readonly file: string,
    readonly detail: string,
  ) {
    super(
      functionKey,
      `Function "${functionKey}": ${file} does not compile: ${detail}${detail.includes('. Fix: ') ? '' : '. Fix the code and start again.'}`,
    );
  }
}

/** Lambda refuses environments over 4 KB (keys and values together). */
export class EnvironmentTooLargeError extends FunctionConfigurationError {
  constructor(
    functionKey: string,
    readonly sizeBytes: number,
    readonly limitBytes: number,
    largest: string,
  ) {
    super(
      functionKey,
      `Function "${functionKey}": its environment variables take ${sizeBytes} bytes (keys and values), over Lambda's ` +
        `4 KB limit (${limitBytes} bytes); the largest is ${largest}. Keep big values in SSM Parameter Store or ` +
        `Secrets Manager and read them at run time, or shorten them.`,
    );
  }
}

/** Lambda refuses to deploy a function that sets a variable the runtime reserves (AWS_REGION, _HANDLER, ...). */
export class ReservedEnvironmentVariableError extends FunctionConfigurationError {
  constructor(
    functionKey: string,
    readonly keys: string[],
  ) {
    super(
      functionKey,
      `Function "${functionKey}": environment sets ${keys.join(', ')}, which Lambda reserves for itself (deploy would ` +
        `fail too). Remove ${keys.length > 1 ? 'them' : 'it'} from \`environment:\` in serverless.yml; the runtime sets ${keys.length > 1 ? 'them' : 'it'}.`,
    );
  }
}

/** invoke() after stop(). */
export class LambdaServiceStoppedError extends Error {
  constructor() {
    super('The Lambda service is stopped: start local-cloud again to invoke functions.');
    this.name = 'LambdaServiceStoppedError';
  }
}
