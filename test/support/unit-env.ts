import 'aws-sdk-client-mock-vitest/extend';

// Unit tests never reach AWS: every client they touch is mocked. The configuration is still
// complete, so handlers run exactly as deployed.
process.env.TABLE_NAME = 'unit-test-table';
process.env.MAIL_FROM = 'Gatehouse <no-reply@gatehouse.test>';
process.env.PUBLIC_BASE_URL = 'https://accounts.gatehouse.test';
process.env.AWS_REGION = 'us-east-1';
process.env.AWS_ACCESS_KEY_ID = 'unit';
process.env.AWS_SECRET_ACCESS_KEY = 'unit';
process.env.LOG_LEVEL = 'silent';
process.env.MFA_ENCRYPTION_KEY = 'unit-test-mfa-key-material-of-at-least-32-chars';
