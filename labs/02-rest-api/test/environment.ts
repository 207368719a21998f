// What serverless.yml gives the functions on AWS and on local-cloud, for the unit tests that import handlers.
process.env.GROUPS_TABLE ??= 'groups-unit-test';
process.env.ALLOWED_ORIGIN ??= '*';
