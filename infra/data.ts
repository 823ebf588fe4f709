import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AttributeType, Billing, ProjectionType, StreamViewType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { TABLE_SCHEMA } from '#data/table.ts';

export interface DataProps {
  /**
   * Keep the table when the stack goes, and refuse to delete it. Off only for dev stages.
   * @default true
   */
  readonly retain?: boolean;
}

/**
 * The single table (on-demand, point-in-time recovery, TTL, the sparse gsi1) and the key material
 * that TOTP secrets in it are sealed under, kept apart so that a copy of the table alone opens none.
 */
export class Data extends Construct {
  readonly table: TableV2;
  readonly mfaKey: Secret;

  constructor(scope: Construct, id: string, props: DataProps = {}) {
    super(scope, id);
    const retain = props.retain ?? true;
    const { partitionKey, sortKey, ttlAttribute, gsi1, stream } = TABLE_SCHEMA;
    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: partitionKey, type: AttributeType.STRING },
      sortKey: { name: sortKey, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: retain,
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      timeToLiveAttribute: ttlAttribute,
      dynamoStream: StreamViewType[stream],
      globalSecondaryIndexes: [
        {
          indexName: gsi1.indexName,
          partitionKey: { name: gsi1.partitionKey, type: AttributeType.STRING },
          sortKey: { name: gsi1.sortKey, type: AttributeType.STRING },
          projectionType: ProjectionType.INCLUDE,
          nonKeyAttributes: [...gsi1.include],
        },
      ],
    });
    // Losing it would turn every enrolled authenticator useless: kept like the table.
    this.mfaKey = new Secret(this, 'MfaEncryptionKey', {
      description: 'Gatehouse: key material that TOTP secrets are sealed under (AES-256-GCM via HKDF)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(this.mfaKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating this key would make every sealed TOTP secret unreadable (no keyring yet): docs/security.md, "MFA key rotation".',
    });
  }
}
