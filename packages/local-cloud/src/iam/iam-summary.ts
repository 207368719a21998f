// The start-up table's IAM row: which mode is on and what it means for the functions' calls.
import type { SummaryRow } from '../platform/service-contract';
import type { IamMode } from './authorizer';
import type { FunctionRole } from './function-roles';

export function iamSummaryRow(mode: IamMode, roles: Record<string, FunctionRole>): SummaryRow {
  const names = [...new Set(Object.values(roles).map((role) => role.roleName))];
  const shown =
    names.length <= 2 ? names.join(', ') : `${names.slice(0, 2).join(', ')} and ${names.length - 2} more`;
  const roleText = `${names.length} role${names.length === 1 ? '' : 's'}${names.length > 0 ? ` (${shown})` : ''}`;
  const detail = {
    enforce: `each function's AWS calls are checked against its role, as on AWS: ${roleText}; --iam warn only logs denials`,
    warn: `each function's AWS calls are checked against its role (${roleText}) and AWS's denials logged, but allowed`,
    off: 'not checked: every function may call everything (--iam enforce checks them as AWS does)',
  }[mode];
  return { name: 'IAM', where: `--iam ${mode}`, detail };
}
