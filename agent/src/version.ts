/** Version the agent reports to the hub (registration, Watch, Heartbeat); kept equal to package.json. */
export const AGENT_VERSION = '0.1.0';
