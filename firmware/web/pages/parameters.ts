/**
 * Settings > Parameters (`/settings/parameters`, one module per `?module=`):
 * every declared parameter, generated from the modules' declarations through
 * the parameter registry, with type, range or values, default, the value in
 * force and the layer that sets it, as `phone config explain` reports it
 * (the same `ConfigService.explain`). Changes go to the web layer
 * (`<MAC>-web.cfg`), which the provisioning module uploads when it changes.
 *
 * Admin only: the declarations have no notion of a parameter a user may
 * change (the spec lets the user password open fewer pages, not fewer
 * parameters), so a User session sees none of them.
 */
import type { ConfigService } from '../../config/config-service';
import type { RegisteredParameter } from '../../config/parameter-registry';
import { html, type Html } from '../html';
import { csrfField, type WebContext, type WebPages, type WebRequest, type WebResult } from '../web-page';
import { applyWebChanges, describeRange, outcomeNotice, parameterInput, readOnlyReason, refusedList, revertField, setBy, shownValue, valueField, type RefusedField, type WebChangeOutcome } from './parameter-fields';

export const PARAMETERS_PATH = '/settings/parameters';

/** Modules that declare parameters, in registration order, with their parameters. */
function modulesWithParameters(config: ConfigService): Map<string, RegisteredParameter[]> {
  const byModule = new Map<string, RegisteredParameter[]>();
  for (const p of config.registry.all()) byModule.set(p.module, [...(byModule.get(p.module) ?? []), p]);
  return byModule;
}

function moduleIndex(modules: Map<string, RegisteredParameter[]>): Html {
  return html`<p>Every parameter of this phone, by module. Changes made here go to the web configuration (the override file <code>&lt;MAC&gt;-web.cfg</code>), which wins over configuration files and loses to changes made at the phone.</p>
<table class="list"><thead><tr><th>Module</th><th>Parameters</th></tr></thead><tbody>${[...modules].map(([m, ps]) => html`<tr><td><a href="${PARAMETERS_PATH}?module=${encodeURIComponent(m)}">${m}</a></td><td>${ps.length}</td></tr>`)}</tbody></table>`;
}

function layersDetail(config: ConfigService, p: RegisteredParameter): Html {
  const e = config.explain(p.name);
  if (e.candidates.length < 2) return html``;
  return html`<details><summary>layers</summary><ul>${e.candidates.map((c) => html`<li>${c.applied ? '' : html`<s>`}${c.layer} (${c.source}): "${shownValue(p, c.value)}"${c.applied ? '' : html`</s>`}${c.note ? ` (${c.note})` : ''}</li>`)}</ul></details>`;
}

function parameterRow(config: ConfigService, p: RegisteredParameter, refused: RefusedField | undefined): Html {
  const e = config.explain(p.name);
  const readOnly = readOnlyReason(p);
  const defaultValue = config.registry.defaultValue(p, config.baseProfile());
  const inWeb = e.candidates.some((c) => c.layer === 'web');
  return html`<tr id="row-${p.name}"${refused ? html` class="refused"` : ''}>
<td><label for="${valueField(p.name)}"><code>${p.name}</code></label><br><small>${p.description}</small></td>
<td>${describeRange(p)}${p.reboot ? html`<br><small>needs a reboot</small>` : ''}</td>
<td>${shownValue(p, defaultValue)}</td>
<td>${parameterInput(config, p, refused && !p.secret ? refused.value : undefined)}${p.secret ? html`<br><small>${shownValue(p, e.value)}</small>` : ''}${readOnly ? html`<br><small>${readOnly}</small>` : ''}${refused ? html`<br><strong class="error">${refused.reason}</strong>` : ''}</td>
<td class="layer">${setBy(e)}${layersDetail(config, p)}</td>
<td>${inWeb && !readOnly ? html`<label><input type="checkbox" name="${revertField(p.name)}" value="1"> remove</label>` : ''}</td>
</tr>`;
}

function modulePage(context: WebContext, request: WebRequest, module: string, parameters: RegisteredParameter[], outcome?: WebChangeOutcome): WebResult {
  const config = context.config;
  const refused = outcome?.refused ?? [];
  const body = html`<p><a href="${PARAMETERS_PATH}">All modules</a></p>
${outcome && (outcome.applied.length || outcome.reverted.length) ? html`<p class="notice">${outcomeNotice(outcome)}</p>` : ''}
${refusedList(refused)}
<form method="post" action="${PARAMETERS_PATH}?module=${encodeURIComponent(module)}">${csrfField(request.session)}
<table class="parameters"><thead><tr><th>Parameter</th><th>Type and range</th><th>Default</th><th>Value</th><th>Set by</th><th>Web value</th></tr></thead>
<tbody>${parameters.map((p) => parameterRow(config, p, refused.find((r) => r.name === p.name)))}</tbody></table>
<p><button type="submit">Save</button></p></form>`;
  return { kind: 'page', title: `Parameters: ${module}`, body, status: refused.length ? 400 : 200 };
}

export const parameterPages: WebPages = (context) => [{
  path: PARAMETERS_PATH,
  nav: ['Settings', 'Parameters'],
  access: 'admin',
  get(request) {
    const modules = modulesWithParameters(context.config);
    const module = request.query.module;
    if (module === undefined || module === '') return { kind: 'page', title: 'Parameters', body: moduleIndex(modules) };
    const parameters = modules.get(module);
    if (!parameters) return { kind: 'page', title: 'Parameters', body: html`<p class="error">No module "${module}" declares parameters.</p>${moduleIndex(modules)}`, status: 404 };
    return modulePage(context, request, module, parameters);
  },
  post(request) {
    const module = request.query.module ?? '';
    const parameters = modulesWithParameters(context.config).get(module);
    if (!parameters) return { kind: 'redirect', to: PARAMETERS_PATH, notice: `No module "${module}" declares parameters.` };
    const outcome = applyWebChanges(context.config, parameters.map((p) => p.name), request.form);
    const log = context.kernel.log.component('cfg');
    if (outcome.applied.length || outcome.reverted.length) log.notice(`web: ${module} parameters changed by the web admin: ${[...outcome.applied, ...outcome.reverted].join(', ')}`);
    if (outcome.refused.length) return modulePage(context, request, module, parameters, outcome);
    return { kind: 'redirect', to: `${PARAMETERS_PATH}?module=${encodeURIComponent(module)}`, notice: outcomeNotice(outcome) };
  },
}];
