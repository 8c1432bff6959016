import type { Platform } from '@shared/roles';

/** The app hosting the page: one of the chat apps, or an ordinary browser (demo only). */
export type HostApp = Platform | 'browser';

/** A one-time code from the chat app that the server exchanges for the user's identity. */
export interface AuthCode {
  platform: Platform;
  code: string;
}

export interface GeoPosition {
  latitude: number;
  longitude: number;
  /** Radius of the position's uncertainty in metres, when the source reports one. */
  accuracyMeters: number | null;
  /**
   * Datum of the point. Browsers return raw GPS (`wgs84`). Mainland Chinese maps (AMap, Tencent
   * Maps) use the offset system `gcj02`, so the chat-app bridges request that one.
   */
  coordinateSystem: 'wgs84' | 'gcj02';
  /** Street address, when the chat app reverse-geocodes the point. */
  address: string | null;
}

export interface ChooseImageOptions {
  multiple?: boolean;
  /** Open the camera directly instead of the photo library (a hint; the phone may ignore it). */
  camera?: boolean;
}

/**
 * The chat app's native features behind one interface, so pages never test which app they run in.
 * Each method has a browser fallback, and chat-app implementations fall back to it where the native
 * call brings no benefit.
 */
export interface PlatformBridge {
  readonly hostApp: HostApp;

  /**
   * Get a fresh single-use auth code. In WeCom, when the URL carries no code, this navigates to the
   * OAuth page and never settles. In a browser it throws InteractiveLoginRequiredError unless a
   * demo user was picked before.
   */
  getAuthCode(): Promise<AuthCode>;

  setTitle(title: string): Promise<void>;

  getLocation(): Promise<GeoPosition>;

  /** Scan a barcode (usually an ISBN). Resolves to null when this host has no scanner, and the page then shows a text field for the code. */
  scanBarcode(): Promise<string | null>;

  /** Let the user pick or take photos. Resolves to an empty list when the user cancels. */
  chooseImage(options?: ChooseImageOptions): Promise<File[]>;
}

export type BridgeErrorCode = 'permission_denied' | 'unavailable' | 'timeout' | 'cancelled' | 'failed';

/** A native feature failed. `message` is Chinese and can be shown to the user as is. */
export class BridgeError extends Error {
  constructor(
    readonly code: BridgeErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'BridgeError';
  }
}

/** No auth code can be obtained without the user: show the demo picker or the "open in app" page. */
export class InteractiveLoginRequiredError extends Error {
  constructor() {
    super('No auth code is available without user interaction');
    this.name = 'InteractiveLoginRequiredError';
  }
}
