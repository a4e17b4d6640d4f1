// Step "connect": where the host is (as OpenSSH resolves it) and which host key it shows, read
// before anything is trusted or sent. Nothing is logged in, nothing written: the key is
// returned for a person to compare and for the pin.
import type { HostKey } from './host-key';
import { resolveHost, type HostRequest, type ResolvedTarget } from './resolve-host';
import { connectSsh2 } from './ssh2-connect';
import { stepTimeout, type StepResult } from './step-result';

export interface ProbeRequest extends HostRequest {
  /** The bound of the whole step, resolving included (default DEFAULT_STEP_TIMEOUT_MS). */
  readonly timeoutMs?: number;
}

export interface ProbedHost {
  readonly target: ResolvedTarget;
  readonly hostKey: HostKey;
}

export async function probeHost(request: ProbeRequest): Promise<StepResult<ProbedHost>> {
  const timeoutMs = stepTimeout(request.timeoutMs);
  const deadline = Date.now() + timeoutMs;
  const resolved = await resolveHost(request, timeoutMs);
  if (resolved.kind !== 'ok') return resolved;
  const { target } = resolved;
  const connection = await connectSsh2({
    hostname: target.hostname,
    port: target.port,
    user: target.user,
    timeoutMs: Math.max(1, deadline - Date.now()),
    // Declined on purpose: the probe needs the key only, and ends the handshake there.
    acceptHostKey: () => false,
    step: 'connect',
  });
  if (connection.kind === 'failed') return connection;
  if (connection.kind === 'ready') connection.client.end(); // not reached: the key is declined
  return { kind: 'ok', target, hostKey: connection.hostKey };
}
