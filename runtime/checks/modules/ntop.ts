// The ntop.* functions of the sandbox (document 004), as a host module. This is the first slice:
// what the documents' boilerplate and simple stateful checks need (getDirs, the string cache on
// the KV store, score/severity mapping). The rest of ntop.* is a later step: add functions to
// `functions` here (or a sibling module); they reach Lua as ntop.<name> through the sandbox's
// host-module mechanism (sandbox.ts HostModule, lua/host_modules.ts).
import type { HostModule } from '../sandbox.ts';
import type { LuaValue } from '../value_codec.ts';
import type { KVStore } from '../../store/kv.ts';
import { mapScoreToSeverity, mapSeverityToScore } from '../../alerts.ts';

/** ntopng's directories (installed layout): scripts only use them to extend package.path. */
export const NTOPNG_DIRS = {
  installdir: '/usr/share/ntopng',
  workingdir: '/var/lib/ntopng',
  scriptdir: '/usr/share/ntopng/scripts',
  httpdocsdir: '/usr/share/ntopng/httpdocs',
  callbacksdir: '/usr/share/ntopng/scripts/callbacks',
  etcdir: '/etc/ntopng',
};

function str(v: LuaValue, what: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  throw new Error(`${what} must be a string`);
}

export function ntopModule(kv: KVStore): HostModule {
  return {
    namespace: 'ntop',
    functions: {
      getDirs: () => ({ ...NTOPNG_DIRS }),
      /** The value, or "" when the key is missing (as ntopng). */
      getCache: (key) => kv.get(str(key, 'key')) ?? '',
      setCache: (key, value, ttl) => {
        kv.set(str(key, 'key'), str(value ?? '', 'value'), typeof ttl === 'number' ? ttl : undefined);
        return null;
      },
      delCache: (key) => {
        kv.del(str(key, 'key'));
        return null;
      },
      mapScoreToSeverity: (score) => mapScoreToSeverity(Number(score) || 0),
      mapSeverityToScore: (severity) => mapSeverityToScore(Number(severity) || 0),
    },
  };
}
