import { FixtureWorkspace } from './workspace';

/** Creates fixture workspaces that are removed after each test, so tests never see each other's files. */
export function fixtureWorkspaces(): (
  ...args: ConstructorParameters<typeof FixtureWorkspace>
) => FixtureWorkspace {
  const created: FixtureWorkspace[] = [];
  afterEach(() => created.splice(0).forEach((workspace) => workspace.remove()));
  return (...args) => {
    const workspace = new FixtureWorkspace(...args);
    created.push(workspace);
    return workspace;
  };
}
