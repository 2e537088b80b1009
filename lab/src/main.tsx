/** The lab's entry point. */
import { render } from 'preact';
import { App } from './app';
import { registerServiceWorker } from './sw/register';
import './generated/font.css';
import './styles.css';

render(<App />, document.getElementById('app')!);
registerServiceWorker();
