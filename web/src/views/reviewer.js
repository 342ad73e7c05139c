// Screens of the reviewer group (placeholder until written).
import { route } from '../router.js';
