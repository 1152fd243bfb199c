import { useSchemaEngineStandIn } from '@svcgen/core/testing';

useSchemaEngineStandIn();
