// `prepublishOnly` of every @m8/* package: only pnpm may publish them. pnpm replaces the `workspace:`
// ranges of the manifest with real versions; `npm publish` would ship them as they are, and users'
// installs would fail (RELEASING.md).
const agent = process.env.npm_config_user_agent ?? '';
if (!agent.startsWith('pnpm/')) {
  console.error(`Publish the m8 packages with pnpm (node scripts/pnpm.mjs publish -r), not ${agent.split(' ')[0] || 'this tool'}: it would publish "workspace:" version ranges. See RELEASING.md.`);
  process.exit(1);
}
