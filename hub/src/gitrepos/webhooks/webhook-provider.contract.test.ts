import { describe, expect, it } from 'vitest';
import { catchError, OTHER_SECRET, PROVIDER_CASES, SECRET, tampered, withHeaders } from './webhook.fixtures.js';
import { WebhookError } from './webhook.error.js';
import { findWebhookProvider, webhookProvider } from './webhook-provider.registry.js';

/** What every provider must do, run against each provider's real-shaped deliveries. */
describe.each(PROVIDER_CASES)('$name webhook provider', (fixture) => {
  const provider = webhookProvider(fixture.name);

  it('is the provider the registry picks for its push and its other events', () => {
    expect(findWebhookProvider(fixture.push().headers)?.name).toBe(fixture.name);
    expect(findWebhookProvider(fixture.nonPush().headers)?.name).toBe(fixture.name);
  });

  it('verifies a signed push and reads its repository URLs, branch and commit', () => {
    const { headers, body } = fixture.push();
    expect(provider.verify(headers, body, SECRET)).toBe(true);
    expect(provider.parse(headers, body)).toEqual(fixture.expected);
  });

  it('rejects the wrong secret and an empty one', () => {
    const { headers, body } = fixture.push();
    expect(provider.verify(headers, body, OTHER_SECRET)).toBe(false);
    expect(provider.verify(headers, body, '')).toBe(false);
  });

  it(fixture.signsBody ? 'rejects a tampered body' : 'cannot see a tampered body (the token signs nothing)', () => {
    const delivery = tampered(fixture.push());
    expect(delivery.body.equals(fixture.push().body)).toBe(false);
    expect(provider.verify(delivery.headers, delivery.body, SECRET)).toBe(!fixture.signsBody);
  });

  it('rejects a delivery without its signature header', () => {
    const { headers, body } = withHeaders(fixture.push(), { [fixture.signatureHeader]: undefined });
    expect(provider.verify(headers, body, SECRET)).toBe(false);
  });

  it.each(fixture.malformedSignatures.map((value) => [JSON.stringify(value), value]))(
    'rejects the malformed signature %s without throwing',
    (_label, value) => {
      const { headers, body } = withHeaders(fixture.push(), { [fixture.signatureHeader]: value });
      expect(() => provider.verify(headers, body, SECRET)).not.toThrow();
      expect(provider.verify(headers, body, SECRET)).toBe(false);
    },
  );

  it('ignores an event that is not a push', () => {
    const { headers, body } = fixture.nonPush();
    expect(provider.parse(headers, body)).toBe('ignored');
  });

  it('refuses a push without its repository, naming the field', () => {
    const { headers, body } = fixture.pushWithoutRepository();
    const error = catchError(() => provider.parse(headers, body));
    expect(error).toBeInstanceOf(WebhookError);
    expect(error).toMatchObject({ reason: 'InvalidPayload', field: fixture.missingField });
    expect(error.message).toContain(`"${fixture.missingField}"`);
    expect(error.message).toContain(fixture.name);
  });

  it('refuses a push whose body is not JSON, naming the provider', () => {
    const { headers } = fixture.push();
    const error = catchError(() => provider.parse(headers, Buffer.from('{"ref": "refs/heads/main",')));
    expect(error).toMatchObject({ reason: 'InvalidPayload' });
    expect(error.message).toMatch(new RegExp(`^${fixture.name}: body is not JSON \\(.+\\)$`));
    expect(catchError(() => provider.parse(headers, Buffer.from('[1, 2]'))).message).toBe(`${fixture.name}: body is not a JSON object`);
  });
});
