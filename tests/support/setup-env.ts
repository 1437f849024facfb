import { inject } from 'vitest';

// Each test worker talks to the DynamoDB Local started by global-setup.ts.
process.env.DYNAMODB_ENDPOINT = inject('dynamoEndpoint');
process.env.TABLE_NAME = 'linli-test';
process.env.S3_ENDPOINT = inject('s3Endpoint');
process.env.BUCKET_NAME = 'linli-test-files';
// The dev login needs this switch on top of the test stage.
process.env.DEV_LOGIN = '1';
