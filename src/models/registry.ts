// The models p2psim runs, one line each. The scenario's `model` picks one (docs/scenario.md); the
// coordinator, the result, the CLI and the summary ask the registry, never a model by name.
import { z } from 'zod';
import { InputError } from '../errors.js';
import { chain, type ResolvedChainScenario } from './chain/index.js';
import type { ChainPlan } from './chain/plan.js';
import type { ModelDefinition, PlanBase } from './definition.js';
import { gossip } from './gossip/index.js';
import type { GossipPlan } from './gossip/plan.js';
import type { GossipScenario } from './gossip/schema.js';
import { phold, type PholdPlan, type PholdScenario } from './phold/index.js';

/** In this order in `p2psim schema` and in messages that list the models. */
const MODELS = [gossip, chain, phold] as const;

type Schemas<T extends readonly { schema: unknown }[]> = { -readonly [K in keyof T]: T[K]['schema'] };

export const scenarioSchema = z.discriminatedUnion('model', MODELS.map((m) => m.schema) as unknown as Schemas<typeof MODELS>);
export type Scenario = z.output<typeof scenarioSchema>;
export type Plan = GossipPlan | ChainPlan | PholdPlan;
/** A scenario as a result echoes it (ModelDefinition.resolved). */
export type ResolvedScenario = GossipScenario | ResolvedChainScenario | PholdScenario;
export const MODEL_NAMES: readonly string[] = MODELS.map((m) => m.name);

/** A model's definition with its types erased, for code that serves every model alike. */
export type AnyModel = ModelDefinition<Scenario, Plan & PlanBase, object>;

/** The definition of the model a scenario or plan names. */
export function modelOf(x: { readonly model: string }): AnyModel {
  const def = MODELS.find((m) => m.name === x.model);
  if (!def) throw new InputError('model', `must be one of ${MODELS.map((m) => `"${m.name}"`).join(', ')}, got ${JSON.stringify(x.model)}`);
  return def as unknown as AnyModel;
}
