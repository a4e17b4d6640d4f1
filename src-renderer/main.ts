import { mount } from 'svelte';
import App from './App.svelte';
import { resolveApi } from './lib/api';

const target = document.getElementById('app');
if (!target) throw new Error('missing #app mount point');
mount(App, { target, props: { api: resolveApi() } });
