import * as crypto from 'node:crypto';
import * as path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import createError from 'http-errors';
import * as jwt from 'jsonwebtoken';

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const TableName = process.env.SHARES_TABLE;
const ISSUER = 'ts-namespace';

const CONTENT_TYPES: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.csv': 'text/csv',
};

export interface Share {
  shareId: string;
  file: string;
  name: string;
  contentType: string;
  expiresAt: number;
  opens: number;
}

export async function createShare(file: string, lifetimeSeconds: number, signingKey: string) {
  const normalized = path.posix.normalize(file);
  if (path.posix.isAbsolute(normalized) || normalized.startsWith('..')) {
    throw createError(400, `The file must be a path inside the library, not ${file}.`);
  }
  const contentType = CONTENT_TYPES[path.extname(normalized).toLowerCase()];
  if (!contentType) {
    throw createError(400, `Only ${Object.keys(CONTENT_TYPES).join(', ')} files can be shared.`);
  }
  const share: Share = {
    shareId: crypto.randomBytes(12).toString('base64url'),
    file: normalized,
    name: path.basename(normalized),
    contentType,
    expiresAt: Math.floor(Date.now() / 1000) + lifetimeSeconds,
    opens: 0,
  };
  await documents.send(new PutCommand({ TableName, Item: share }));
  const token = jwt.sign({ file: share.file }, signingKey, {
    algorithm: 'HS256',
    issuer: ISSUER,
    subject: share.shareId,
    expiresIn: lifetimeSeconds,
  });
  return { share, token };
}

export async function openShare(token: string, signingKey: string): Promise<Share> {
  let claims: jwt.JwtPayload;
  try {
    claims = jwt.verify(token, signingKey, { algorithms: ['HS256'], issuer: ISSUER }) as jwt.JwtPayload;
  } catch (error) {
    if (error instanceof jwt.TokenExpiredError) throw createError(410, 'This link has expired.');
    throw createError(401, 'This link is not valid.');
  }
  const { Attributes } = await documents.send(
    new UpdateCommand({
      TableName,
      Key: { shareId: claims.sub },
      UpdateExpression: 'ADD opens :one',
      ConditionExpression: 'attribute_exists(shareId)',
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return Attributes as Share;
}
