import { salvageStore } from '../store/index';
import { json, loadConfig, parseVerbArgs, reportConfigWarnings, storeDir, usage } from './context';
import type { Verb } from './verb';

/** `llm386 salvage`: see {@link salvageStore}. Exits 0 once the new store is written, whatever was lost. */
export const salvageVerb: Verb = {
  name: 'salvage',
  summary: 'copy every block that still reads and checks out of a damaged store into a new one',
  usage: 'llm386 salvage --store DAMAGED --to NEWDIR [--json]',
  async run(args, io) {
    const { values } = parseVerbArgs('salvage', args, { to: { type: 'string' } });
    if (values.to === undefined || values.to === '') {
      throw usage(
        'salvage: --to NEWDIR is required: a new (absent or empty) folder for the salvaged store',
      );
    }
    reportConfigWarnings(loadConfig(values, io.env), io.err);
    const from = storeDir(values, io.env);
    // Reads the damaged file with plain file reads, never through LMDB: no signal can kill it.
    const report = await salvageStore(from, values.to);
    const { recovered, lost } = report;
    if (values.json) io.out(json(report));
    else {
      io.out(
        `recovered ${recovered.blocks} blocks (${recovered.bodies} bodies, ${recovered.edges} edges, ${recovered.sessions} sessions) into ${report.to}\n`,
      );
      io.out(lost.length === 0 ? 'lost: none\n' : `lost ${lost.length} blocks:\n`);
      for (const id of lost) io.out(`lost\t${id}\n`);
    }
    const { pages } = report;
    const how = pages.treesWalked
      ? `${pages.reached} on the live trees (${pages.damaged} missing or damaged), ${pages.orphanLeaves} other leaf pages read by content`
      : `no readable tree: ${pages.orphanLeaves} leaf pages read by content`;
    io.err(
      `salvage read ${pages.total} pages: ${how}; ${report.edgesLost} edges not recoverable\n`,
    );
    io.err(
      `check the new store with \`llm386 verify --store ${report.to}\`; ${from} was not changed\n`,
    );
  },
};
