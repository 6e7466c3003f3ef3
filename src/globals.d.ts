/// <reference types="vite/client" />
/// <reference types="vite-plugin-pwa/client" />

/** SHA-256 of the model weights this build ships (from model/model.json at build time). */
declare const __MODEL_SHA256__: string;
/** Size of the model's weights in bytes. */
declare const __MODEL_BYTES__: number;
/** Identifies this build (BUILD_ID env var, else the build time). */
declare const __BUILD_ID__: string;
/** The app's version from package.json. */
declare const __APP_VERSION__: string;
