import { GetCommand, PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';
import { FundingSpent } from '#events/funding';
import { ReportReceived } from '#events/intake';
import { documents, eventBridge } from '#shared/clients';
import { keys } from '#shared/keys';
import { topology, type FunctionSpec } from '#infra/topology';
import { runAsFunction } from '../../infra/local/function-env.ts';
import { AccessDeniedError, enforceLeastPrivilege, eventRefusal, tableRefusal } from '../../infra/local/least-privilege.ts';

const table = 'local-main';
const specNamed = (name: string): FunctionSpec => {
  const spec = topology.find((s) => s.name === name);
  if (!spec) throw new Error(`no ${name}`);
  return spec;
};

describe('local least privilege', () => {
  const intake = specNamed('ReportIntake');
  const reportsApi = specNamed('ReportsApi');

  it('allows the families a function declares, on the table and through gsi1', () => {
    expect(tableRefusal(reportsApi, 'GetItemCommand', { TableName: table, Key: keys.report('r1') }, table)).toBeUndefined();
    const byStatus = { TableName: table, IndexName: 'gsi1', KeyConditionExpression: '#p = :pk', ExpressionAttributeNames: { '#p': 'gsi1pk' }, ExpressionAttributeValues: { ':pk': keys.reportsByStatus('new') } };
    expect(tableRefusal(reportsApi, 'QueryCommand', byStatus, table)).toBeUndefined();
    // Marshalled values (the client's own stack sees these) are read the same way.
    expect(tableRefusal(reportsApi, 'GetItemCommand', { TableName: table, Key: { pk: { S: keys.report('r1').pk } } }, table)).toBeUndefined();
  });

  it('refuses a family not declared, a Scan, and deletes by a public function', () => {
    expect(tableRefusal(reportsApi, 'GetItemCommand', { TableName: table, Key: keys.case('c1') }, table)).toMatch(/CASE/);
    expect(tableRefusal(reportsApi, 'QueryCommand', { TableName: table, KeyConditionExpression: 'gsi1pk = :p', ExpressionAttributeValues: { ':p': keys.casesByStatus('open') } }, table)).toMatch(/CASES/);
    expect(tableRefusal(reportsApi, 'ScanCommand', { TableName: table }, table)).toMatch(/no leading key/);
    expect(tableRefusal(intake, 'DeleteItemCommand', { TableName: table, Key: keys.rateLimit('b', 'w') }, table)).toMatch(/public function/);
    expect(tableRefusal(intake, 'GetItemCommand', { TableName: 'other-table', Key: { id: 'x' } }, table)).toBeUndefined();
  });

  it('refuses events a function does not declare: a public function cannot put FundingSpent', () => {
    expect(eventRefusal(intake, [{ Source: ReportReceived.source, DetailType: ReportReceived.detailType }])).toBeUndefined();
    expect(eventRefusal(intake, [{ Source: FundingSpent.source, DetailType: FundingSpent.detailType }])).toMatch(/FundingSpent/);
    expect(eventRefusal(specNamed('FundingCommands'), [{ Source: FundingSpent.source, DetailType: FundingSpent.detailType }])).toBeUndefined();
  });

  it('is enforced in the shared SDK clients while a function runs, before anything is sent', async () => {
    enforceLeastPrivilege(topology, table);
    await expect(runAsFunction('ReportsApi', {}, () => documents.send(new GetCommand({ TableName: table, Key: keys.case('c1') })))).rejects.toThrow(AccessDeniedError);
    await expect(runAsFunction('ReportsApi', {}, () => documents.send(new ScanCommand({ TableName: table })))).rejects.toThrow(/no leading key/);
    await expect(
      runAsFunction('ReportsApi', {}, () => documents.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': keys.fundingLedger('s', '2024-25').pk } }))),
    ).rejects.toThrow(/FUNDING/);
    await expect(runAsFunction('ReportIntake', {}, () => documents.send(new PutCommand({ TableName: table, Item: { ...keys.case('c1') } })))).rejects.toThrow(/CASE/);
    await expect(
      runAsFunction('ReportIntake', {}, () =>
        eventBridge.send(new PutEventsCommand({ Entries: [{ EventBusName: 'bus', Source: FundingSpent.source, DetailType: FundingSpent.detailType, Detail: '{}' }] })),
      ),
    ).rejects.toThrow(/may not put/);
  });
});
