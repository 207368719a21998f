// Before any optimisation: a shared entry point that imports every adapter's library whether this request
// needs it or not, and a new client (so a new TCP connection) for every invocation.
import '@azure/functions';
import '@google-cloud/functions-framework';
import '@opentelemetry/exporter-trace-otlp-http';
import 'express';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { readItem } from './read-item';

export async function handler(): Promise<APIGatewayProxyResult> {
  const client = new DynamoDBClient({});
  try {
    return await readItem(client);
  } finally {
    client.destroy();
  }
}
