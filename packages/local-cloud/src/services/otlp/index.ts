export {
  createOtlpReceiver,
  TRACES_PATH,
  type OtlpReceiver,
  type OtlpReceiverOptions,
} from './otlp-receiver';
export { OtlpFormatError, spansToDocuments, xrayTraceId, type ConvertedSpans } from './otlp-spans';
