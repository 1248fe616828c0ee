/**
 * Imported first by infra/local/main.ts, so it runs before any module that makes an AWS SDK
 * client (ES modules evaluate their imports in order): the SDK's "will require node >=22"
 * warning is for whoever deploys to Lambda (node22 there), not for a laptop running the local
 * stand-ins, where it printed on every `npm start` because main.ts switched it off too late.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
