// Loaded with --require into `serverless print` when local-cloud reads a service. The framework resolves the
// variables that read AWS (${ssm:...}, ${aws:accountId}, ${cf:...}, ${s3:...}) by calling AWS, which offline
// fails slowly or with a credentials error. Here they read what local-cloud serves instead, as a deployed
// service would read AWS:
//   ${ssm:/path}      the parameter in <service>/.local-cloud/secrets.json ("parameters"), else an
//                     AWS::SSM::Parameter the service declares with a plain Name and Value;
//   ${aws:accountId}  local-cloud's account id; ${aws:region} as the framework resolves it;
//   ${cf:...}, ${s3:...}  another stack's outputs and S3 objects local-cloud does not have: an error naming
//                     the variable and the fix, at once.
// Plain JavaScript: it runs in the framework's process, which has no TypeScript loader.
'use strict';

const Module = require('node:module');
const fs = require('node:fs');

const SOURCES = '/configuration/variables/sources/instance-dependent/';
const { LOCAL_CLOUD_SECRETS_FILE: secretsFile, LOCAL_CLOUD_ACCOUNT_ID: accountId } = process.env;

const originalLoad = Module._load;
Module._load = function load(request, ...rest) {
  if (typeof request === 'string' && request.includes(SOURCES)) {
    const name = request.slice(request.lastIndexOf('/') + 1).replace(/\.js$/, '');
    const replacement = replacements[name];
    if (replacement) {
      // The framework's own error type, so its report names the variable and the property that uses it.
      const lib = request.slice(0, request.indexOf('configuration/variables/'));
      const ServerlessError = originalLoad.call(this, `${lib}serverless-error`, ...rest);
      return (serverless) => ({ resolve: (input) => replacement(input, { serverless, ServerlessError }) });
    }
  }
  return originalLoad.call(this, request, ...rest);
};

const replacements = {
  'get-ssm': async ({ address, params }, { serverless }) => {
    const parameter = localParameter(address, serverless) ?? null;
    if (!parameter) return { value: null };
    const raw = Boolean(params && params.includes('raw'));
    if (parameter.type === 'StringList') return { value: raw ? parameter.value : parameter.value.split(',') };
    if (parameter.type === 'SecureString' && !raw && parameter.value.startsWith('{')) {
      try {
        return { value: JSON.parse(parameter.value) };
      } catch {
        return { value: parameter.value };
      }
    }
    return { value: parameter.value };
  },
  'get-aws': async ({ address, options, resolveConfigurationProperty }, { ServerlessError }) => {
    if (address === 'accountId') return { value: accountId };
    if (address === 'region') {
      const region = options.region || (await resolveConfigurationProperty(['provider', 'region']));
      return { value: region || 'us-east-1' };
    }
    throw new ServerlessError(
      `Unsupported "${address}" address argument in variable "aws" source`,
      'UNSUPPORTED_AWS_SOURCE_ADDRESS',
    );
  },
  'get-cf': async ({ address }, { ServerlessError }) => {
    throw new ServerlessError(
      `\${cf:${address}} reads another CloudFormation stack's outputs, which local-cloud does not have. Fix: give the value another way when running locally, for example \${env:NAME, \${cf:${address}}} with NAME set, or a stage parameter`,
      'LOCAL_CLOUD_NO_CF_SOURCE',
    );
  },
  'get-s3': async ({ address }, { ServerlessError }) => {
    throw new ServerlessError(
      `\${s3:${address}} reads an object from S3 while the configuration is resolved, which local-cloud cannot serve before it starts. Fix: give the value another way when running locally, for example \${file(...)} or \${env:NAME}`,
      'LOCAL_CLOUD_NO_S3_SOURCE',
    );
  },
};

/** The parameter local-cloud's SSM will serve under `name`, or undefined. */
function localParameter(name, serverless) {
  const fromFile = parametersFile()[name];
  if (fromFile !== undefined) {
    return typeof fromFile === 'object' && fromFile !== null && !Array.isArray(fromFile)
      ? { type: fromFile.type || 'String', value: listText(fromFile.value) }
      : { type: 'String', value: listText(fromFile) };
  }
  const resources = serverless.configurationInput?.resources?.Resources ?? {};
  for (const resource of Object.values(resources)) {
    const properties = resource && resource.Type === 'AWS::SSM::Parameter' ? resource.Properties || {} : {};
    if (properties.Name === name && typeof properties.Value === 'string') {
      return { type: properties.Type === 'StringList' ? 'StringList' : 'String', value: properties.Value };
    }
  }
  return undefined;
}

function listText(value) {
  return Array.isArray(value) ? value.join(',') : String(value);
}

/** The "parameters" of secrets.json; local-cloud checks the file's shape itself when the service starts. */
function parametersFile() {
  if (!secretsFile || !fs.existsSync(secretsFile)) return {};
  try {
    const parsed = JSON.parse(fs.readFileSync(secretsFile, 'utf8'));
    return parsed && typeof parsed.parameters === 'object' && parsed.parameters !== null
      ? parsed.parameters
      : {};
  } catch {
    return {};
  }
}
