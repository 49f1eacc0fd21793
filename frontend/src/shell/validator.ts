/**
 * The rjsf validator built on Ajv's 2020-12 class, so the browser validates like the server does. A module of its
 * own, imported only by the forms (the IVR property panel, the generic editor): Ajv and its URI parser were
 * ~0.4 MB of source in the page's entry chunk, parsed before anything was drawn (issue 16, first load).
 */
import { customizeValidator } from "@rjsf/validator-ajv8";
import Ajv2020 from "ajv/dist/2020";

export const validator = customizeValidator({ AjvClass: Ajv2020 as any, ajvOptionsOverrides: { strict: false } });
