// The service's settings, read once per sandbox while the module loads: the top-level await makes the
// handlers wait for them, so no invocation runs without them and no invocation pays for the read again.
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

const ssm = new SSMClient({});
const { Parameter } = await ssm.send(new GetParameterCommand({ Name: process.env.SETTINGS_PARAMETER }));

/** @type {{ maxLength: number, pageSize: number }} */
export const settings = JSON.parse(Parameter.Value);
