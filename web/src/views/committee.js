// Screens of the committee group (placeholder until written).
import { route } from '../router.js';
