import { describe, expect, it } from 'vitest';
import { agentOptions } from './rendered-target.js';

describe('agentOptions', () => {
  it("passes fleet.yaml ignore.conditions to the agent, leaving out empty entries", () => {
    expect(agentOptions({ ignore: { conditions: [{ type: 'Ready', status: 'False' }, {}] } })).toEqual({ ignoreConditions: [{ type: 'Ready', status: 'False' }] });
    expect(agentOptions({ ignore: { conditions: [] } })).toEqual({});
  });
});
