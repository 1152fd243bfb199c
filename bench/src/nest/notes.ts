import {
  Controller,
  Get,
  Injectable,
  NotFoundException,
  Param,
  UnauthorizedException,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { authorized } from '../baselines/prisma.js';
import { PrismaService } from './prisma.service.js';

/**
 * The same jose check as every baseline (HS256 pinned, typ, issuer, audience, claims); 401 as in
 * Nest's authentication docs (a guard returning false would answer 403).
 */
@Injectable()
export class JwtGuard implements CanActivate {
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<{
      headers: Record<string, string | undefined>;
    }>();
    if (!(await authorized(request.headers.authorization))) throw new UnauthorizedException();
    return true;
  }
}

@Injectable()
export class NotesService {
  constructor(private readonly prisma: PrismaService) {}

  findOne(id: string) {
    return this.prisma.note.findUnique({ where: { id } });
  }
}

@Controller('api/v1/notes')
@UseGuards(JwtGuard)
export class NotesController {
  constructor(private readonly notesService: NotesService) {}

  @Get(':id')
  async findOne(@Param('id') id: string) {
    const note = await this.notesService.findOne(id);
    if (note === null) throw new NotFoundException();
    return note;
  }
}
