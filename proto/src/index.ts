/**
 * The agent <-> hub contract, package `flotilla.v1`. Everything under `gen/`
 * is produced by `npm run generate -w @flotilla/proto` (buf + ts-proto) and
 * must not be edited by hand; CI fails when it drifts from the .proto files.
 */
export * from './gen/flotilla/v1/agent.js';
export {
  RegisterRequest,
  RegisterResponse,
  RegistrationServiceClient,
  RegistrationServiceService,
  type RegistrationServiceServer,
} from './gen/flotilla/v1/registration.js';
export { CREDENTIAL_METADATA_KEY, MAX_CONTENTS_PER_CALL, REASON_METADATA_KEY, bearer } from './metadata.js';
