import groups from './generated/templates/groups.js';

/** A template compiled by web/build.ts: nunjucks runs its `root` (and its blocks). */
export interface CompiledTemplate {
  root: (...args: unknown[]) => void;
  [block: string]: (...args: unknown[]) => void;
}

const loaded = new Map<string, CompiledTemplate>();
const loadedGroups = new Set<string>();

/**
 * Called by each generated group module (web/generated/templates/<group>.js) when it is
 * imported: a function renders only the groups its code imports, so its bundle carries only
 * those (web/README.md, "Template groups").
 */
export function addTemplates(group: string, templates: Readonly<Record<string, CompiledTemplate>>): void {
  for (const [name, template] of Object.entries(templates)) loaded.set(name, template);
  loadedGroups.add(group);
}

/** The compiled template, or an error that says which group to import when this function did not load it. */
export function loadedTemplate(name: string): CompiledTemplate {
  const template = loaded.get(name);
  if (template) return template;
  const group = groups[name];
  if (group && !loadedGroups.has(group)) {
    throw new Error(
      `template ${name} is in the template group "${group}", which this function does not load: ` +
        `add import '…/web/generated/templates/${group}.js' to the module that renders it (web/README.md, "Template groups")`,
    );
  }
  throw new Error(`no template ${name}: templates are web/templates/<folder>/<name>.njk (npm run build:web compiles them)`);
}

/** Whether a template is loaded: for nunjucks' loader, which asks about templates by name. */
export const isLoaded = (name: string): boolean => loaded.has(name);
