#!/usr/bin/env node
// The example platform's command. pnpm links a package's bin when it installs it, before anything
// is built: the linked file must exist in the repository, so it loads the build rather than being it.
import "../dist/main.js";
