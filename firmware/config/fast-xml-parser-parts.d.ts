/**
 * Types for the two parts of fast-xml-parser the firmware imports directly
 * (its index also pulls in the XML builder, which the phone does not need).
 */
declare module 'fast-xml-parser/src/validator' {
  import type { validationOptions, ValidationError } from 'fast-xml-parser';
  export function validate(xmlData: string, options?: validationOptions): true | ValidationError;
}

declare module 'fast-xml-parser/src/xmlparser/XMLParser' {
  import { XMLParser } from 'fast-xml-parser';
  export default XMLParser;
}
