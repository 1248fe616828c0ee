import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { buildStacks } from './build.ts';

const app = new App();
buildStacks(app);
// Synthesis fails on any AwsSolutions or Serverless finding not acknowledged with a reason.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
app.synth();
