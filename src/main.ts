import { mount } from 'svelte';
import App from './App.svelte';
import { pwa } from './lib/pwa/pwa.svelte.ts';
import './app.css';

const app = mount(App, { target: document.getElementById('app')! });
pwa.start();

export default app;
